// Renders AndesVL's real chat template (tokenizer_config.json "chat_template", stock Qwen3) with
// @huggingface/jinja, the Jinja implementation transformers.js uses, and writes the results as a fixture
// for the C# AndesChatTemplate tests (byte-exact comparison).
//
//   cd tools/template && npm ci && node generate-fixtures.mjs [path/to/tokenizer_config.json]
//
// Conversations are written in Hugging Face form (the dicts transformers' apply_chat_template takes), with
// two conventions the C# test maps onto Microsoft.Extensions.AI types:
//   - a user/system "content" may be a list of parts {type: "text", text} / {type: "image"}; it is flattened to
//     a string before rendering, each image becoming IMAGE_MARKER (the C# ChatPrompt renders image slots with
//     the same marker in ChatPrompt.ToString()),
//   - tool_calls carry an "id" (the M.E.AI call id; the template ignores it), tool messages a "tool_call_id".
// Avoid in conversations: numeric-looking object keys (JS orders them first, Python keeps insertion order),
// floats that are whole numbers or need an exponent (JS prints 1.0 as 1 and 1e-7 as 1e-7, Python as 1.0 and
// 1e-07) and integers beyond 2^53.
import { Template } from "@huggingface/jinja";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const configPath = process.argv[2] ?? "/work/shared/andesvl/AndesVL-1B-Instruct/tokenizer_config.json";
const outputPath = path.resolve(here, "../../tests/Andes.GenAI.Tests/Prompts/Fixtures/andes-chat-template.json");
const IMAGE_MARKER = "<image>";

const config = JSON.parse(fs.readFileSync(configPath, "utf8"));
const source = config.chat_template;
const template = new Template(source);

const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Get the current weather for a city.",
    parameters: {
      type: "object",
      properties: {
        city: { type: "string", description: "City name, e.g. Paris" },
        unit: { type: "string", enum: ["celsius", "fahrenheit"] },
      },
      required: ["city"],
    },
  },
};

const searchTool = {
  type: "function",
  function: {
    name: "search_web",
    description: "搜索网页并返回结果摘要。Returns \"snippets\" with a \\ path.",
    parameters: {
      type: "object",
      properties: {
        query: { type: "string" },
        max_results: { type: "integer", minimum: 1, maximum: 20, default: 5 },
        filters: {
          type: "object",
          properties: { site: { type: "string" }, safe: { type: "boolean" } },
        },
        tags: { type: "array", items: { type: "string" } },
      },
      required: ["query"],
    },
  },
};

const noArgTool = {
  type: "function",
  function: { name: "take_screenshot", parameters: { type: "object", properties: {} } },
};

const cases = [
  {
    name: "plain_user",
    messages: [{ role: "user", content: "Hello! Who are you?" }],
  },
  {
    name: "system_user",
    messages: [
      { role: "system", content: "You are a helpful assistant." },
      { role: "user", content: "What is 2+2?" },
    ],
  },
  {
    name: "no_generation_prompt",
    add_generation_prompt: false,
    messages: [
      { role: "system", content: "You are terse." },
      { role: "user", content: "Say hi." },
    ],
  },
  {
    name: "enable_thinking_false",
    enable_thinking: false,
    messages: [{ role: "user", content: "Answer quickly: capital of France?" }],
  },
  {
    name: "enable_thinking_true",
    enable_thinking: true,
    messages: [{ role: "user", content: "Think about it: capital of France?" }],
  },
  {
    name: "enable_thinking_false_no_generation_prompt",
    enable_thinking: false,
    add_generation_prompt: false,
    messages: [{ role: "user", content: "No prompt, so no think block." }],
  },
  {
    name: "multi_turn_with_reasoning",
    messages: [
      { role: "system", content: "You are a math tutor." },
      { role: "user", content: "What is 3*4?" },
      { role: "assistant", reasoning_content: "3 times 4 is 12.", content: "12" },
      { role: "user", content: "And 5*6?" },
      { role: "assistant", reasoning_content: "\n5*6=30\n\n", content: "\n30" },
      { role: "user", content: "Thanks. Now 7*8?" },
    ],
  },
  {
    name: "last_assistant_with_reasoning_no_generation_prompt",
    add_generation_prompt: false,
    messages: [
      { role: "user", content: "Name a prime." },
      { role: "assistant", reasoning_content: "Smallest prime is 2.", content: "2" },
    ],
  },
  {
    name: "last_assistant_without_reasoning_no_generation_prompt",
    add_generation_prompt: false,
    messages: [
      { role: "user", content: "Name a colour." },
      { role: "assistant", content: "Blue." },
    ],
  },
  {
    name: "assistant_reasoning_inline_in_content",
    add_generation_prompt: false,
    messages: [
      { role: "user", content: "Hi" },
      { role: "assistant", content: "<think>\nThe user greets me.\n</think>\n\nHello there!" },
    ],
  },
  {
    name: "assistant_reasoning_inline_before_last_query",
    messages: [
      { role: "user", content: "Hi" },
      { role: "assistant", content: "<think>\nGreeting.\n</think>\n\nHello!" },
      { role: "user", content: "Bye" },
    ],
  },
  {
    name: "tools_without_system",
    tools: [weatherTool],
    messages: [{ role: "user", content: "Weather in Paris?" }],
  },
  {
    name: "tools_with_system",
    tools: [weatherTool, searchTool, noArgTool],
    messages: [
      { role: "system", content: "You are an agent." },
      { role: "user", content: "Find the weather in 北京." },
    ],
  },
  {
    name: "tool_call_object_arguments_and_results",
    tools: [weatherTool],
    messages: [
      { role: "user", content: "Weather in Paris and Rome?" },
      {
        role: "assistant",
        reasoning_content: "I need to call get_weather twice.",
        content: "",
        tool_calls: [
          { id: "call_1", type: "function", function: { name: "get_weather", arguments: { city: "Paris" } } },
          { id: "call_2", type: "function", function: { name: "get_weather", arguments: { city: "Rome", unit: "celsius" } } },
        ],
      },
      { role: "tool", tool_call_id: "call_1", content: "{\"temperature\": 18, \"sky\": \"cloudy\"}" },
      { role: "tool", tool_call_id: "call_2", content: "24°C, sunny" },
    ],
  },
  {
    name: "tool_call_string_arguments",
    tools: [weatherTool],
    messages: [
      { role: "user", content: "Weather in Oslo?" },
      {
        role: "assistant",
        content: "Let me check.",
        tool_calls: [
          { id: "call_a", type: "function", function: { name: "get_weather", arguments: "{\"city\": \"Oslo\", \"unit\": \"celsius\"}" } },
        ],
      },
      { role: "tool", tool_call_id: "call_a", content: "-3°C" },
      { role: "assistant", content: "It is -3°C in Oslo." },
      { role: "user", content: "Thanks!" },
    ],
  },
  {
    name: "tool_calls_with_content_multi_step",
    tools: [weatherTool, searchTool],
    messages: [
      { role: "system", content: "Be precise." },
      { role: "user", content: "Compare the weather in Tokyo and 上海, then search news." },
      {
        role: "assistant",
        reasoning_content: "Two weather calls first.",
        content: "I'll look both up.",
        tool_calls: [
          { id: "c1", type: "function", function: { name: "get_weather", arguments: { city: "Tokyo" } } },
          { id: "c2", type: "function", function: { name: "get_weather", arguments: { city: "上海" } } },
        ],
      },
      { role: "tool", tool_call_id: "c1", content: "Tokyo: 20°C" },
      { role: "tool", tool_call_id: "c2", content: "上海：22°C，多云" },
      {
        role: "assistant",
        reasoning_content: "Now the news search.",
        content: "",
        tool_calls: [
          {
            id: "c3",
            type: "function",
            function: {
              name: "search_web",
              arguments: {
                query: "weather \"Tokyo\" vs 上海\n\tback\\slash \u0001 ctrl",
                max_results: 3,
                filters: { site: "example.com", safe: true },
                tags: ["news", "天气", "emoji 🌦️"],
                threshold: 0.25,
                offset: -7,
                cursor: null,
                nested: [[], {}, [1, [2.5, "x"]]],
              },
            },
          },
        ],
      },
      { role: "tool", tool_call_id: "c3", content: "[]" },
    ],
  },
  {
    name: "tool_call_only_then_final_answer_no_generation_prompt",
    tools: [noArgTool],
    add_generation_prompt: false,
    messages: [
      { role: "user", content: "Take a screenshot." },
      {
        role: "assistant",
        content: "",
        tool_calls: [{ id: "s1", type: "function", function: { name: "take_screenshot", arguments: {} } }],
      },
      { role: "tool", tool_call_id: "s1", content: "ok" },
      { role: "assistant", reasoning_content: "Screenshot taken.", content: "Done." },
    ],
  },
  {
    name: "user_message_that_looks_like_tool_response",
    messages: [
      { role: "user", content: "Real question?" },
      { role: "assistant", reasoning_content: "Thinking hard.", content: "Answer one." },
      { role: "user", content: "<tool_response>\nnot a real query\n</tool_response>" },
      { role: "assistant", reasoning_content: "More thinking.", content: "Answer two." },
    ],
    add_generation_prompt: false,
  },
  {
    name: "assistant_empty_reasoning_not_last",
    messages: [
      { role: "user", content: "Q1" },
      { role: "assistant", reasoning_content: "", content: "A1", tool_calls: [{ id: "x", type: "function", function: { name: "take_screenshot", arguments: {} } }] },
      { role: "tool", tool_call_id: "x", content: "R1" },
    ],
    tools: [noArgTool],
  },
  {
    name: "second_system_message",
    messages: [
      { role: "system", content: "First system." },
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello" },
      { role: "system", content: "Second system, mid conversation." },
      { role: "user", content: "Go on" },
    ],
  },
  {
    name: "no_user_message",
    add_generation_prompt: false,
    messages: [
      { role: "system", content: "Only system and assistant." },
      { role: "assistant", reasoning_content: "Unused.", content: "Greeting." },
    ],
  },
  {
    name: "unicode_content",
    enable_thinking: false,
    messages: [
      { role: "system", content: "你是一个乐于助人的助手。" },
      { role: "user", content: "请用中文回答：今天天气怎么样？😀 Ünïcödé — \u2028 line sep, tab\t, CRLF\r\n end" },
      { role: "assistant", reasoning_content: "用户问天气。", content: "今天晴朗，气温 25°C。" },
      { role: "user", content: "谢谢！𠮷野家 𝐀𝟏" },
    ],
  },
  {
    // C#: ChatTemplateOptions.Instructions = "Per-request instructions." plus a system message "You are an agent.".
    name: "instructions_merged_with_system_and_tools",
    tools: [noArgTool],
    messages: [
      { role: "system", content: "Per-request instructions.\n\nYou are an agent." },
      { role: "user", content: "Go." },
    ],
  },
  {
    // C#: tool result given as an image, then text, inside one tool message.
    name: "tool_result_with_image",
    tools: [noArgTool],
    messages: [
      { role: "user", content: "What is on screen?" },
      { role: "assistant", content: "", tool_calls: [{ id: "s1", type: "function", function: { name: "take_screenshot", arguments: {} } }] },
      { role: "tool", tool_call_id: "s1", content: [{ type: "image" }, { type: "text", text: "\nscreenshot 1080x2400" }] },
    ],
  },
  {
    name: "images_inline",
    messages: [
      {
        role: "user",
        content: [
          { type: "image" },
          { type: "text", text: "\nWhat is in this picture? Compare with " },
          { type: "image" },
          { type: "text", text: " please." },
        ],
      },
    ],
  },
  {
    name: "gui_grounding_prompt",
    enable_thinking: false,
    messages: [
      {
        role: "system",
        content:
          "You are a GUI agent. You are given a task and a screenshot of the screen. You need to locate and generate the bounding box coordinate of the target area that corresponds to the command.",
      },
      {
        role: "user",
        content: [
          { type: "image" },
          {
            type: "text",
            text: "Please locate and generate the bounding box coordinate of the target area or component corresponds to the following instruction: <|object_ref_start|>open settings<|object_ref_end|>",
          },
        ],
      },
    ],
  },
];

function flattenContent(content) {
  if (!Array.isArray(content)) return content;
  return content.map((part) => (part.type === "image" ? IMAGE_MARKER : part.text)).join("");
}

const results = cases.map((c) => {
  const messages = c.messages.map((m) => ({ ...m, content: flattenContent(m.content) }));
  const context = {
    messages,
    add_generation_prompt: c.add_generation_prompt ?? true,
    bos_token: config.bos_token ?? "",
    eos_token: typeof config.eos_token === "string" ? config.eos_token : config.eos_token?.content,
  };
  if (c.tools) context.tools = c.tools;
  if (c.enable_thinking !== undefined) context.enable_thinking = c.enable_thinking;
  const expected = template.render(context);
  return { ...c, add_generation_prompt: context.add_generation_prompt, expected };
});

const fixture = {
  description:
    "AndesVL chat template renderings produced by tools/template/generate-fixtures.mjs with @huggingface/jinja. Do not edit by hand.",
  renderer: "@huggingface/jinja " + JSON.parse(fs.readFileSync(path.join(here, "node_modules/@huggingface/jinja/package.json"), "utf8")).version,
  template_sha256: createHash("sha256").update(source, "utf8").digest("hex"),
  image_marker: IMAGE_MARKER,
  cases: results,
};

fs.mkdirSync(path.dirname(outputPath), { recursive: true });
fs.writeFileSync(outputPath, JSON.stringify(fixture, null, 2) + "\n", "utf8");
console.log(`wrote ${results.length} cases to ${path.relative(process.cwd(), outputPath)}`);
