using System.Globalization;
using Microsoft.Extensions.AI;

namespace Andes.Agents.Gui;

/// <summary>
/// The agent-loop prompt: a UI-TARS-style action space with coordinates on the model's scale, and the conversation
/// layout (task, earlier answers with what became of them, then the current screenshot).
/// </summary>
public static class GuiAgentPrompt
{
    /// <summary>The system prompt for a coordinate scale (e.g. 1000).</summary>
    /// <param name="scale">The model's coordinate scale.</param>
    /// <returns>The system prompt.</returns>
    public static string CreateSystemPrompt(double scale) => string.Create(CultureInfo.InvariantCulture, $$"""
        You are a GUI agent. You are given a task and a screenshot of the screen. You need to perform the next action to complete the task.

        ## Output format
        Thought: name the element you act on and why.
        Action: one action from the action space.

        ## Action space
        click(start_box='<|box_start|>(x1,y1),(x2,y2)<|box_end|>')
        left_double(start_box='<|box_start|>(x1,y1),(x2,y2)<|box_end|>')
        right_single(start_box='<|box_start|>(x1,y1),(x2,y2)<|box_end|>')
        hover(start_box='<|box_start|>(x1,y1),(x2,y2)<|box_end|>')
        drag(start_box='<|box_start|>(x1,y1),(x2,y2)<|box_end|>', end_box='<|box_start|>(x3,y3),(x4,y4)<|box_end|>')
        hotkey(key='ctrl c')  # keys separated by spaces, lower case
        type(content='text')  # end the content with \n to submit
        scroll(start_box='<|box_start|>(x1,y1),(x2,y2)<|box_end|>', direction='down')  # up, down, left or right
        wait()  # wait for the screen to change
        finished(content='summary')  # the task is complete
        call_user()  # the task needs the user

        ## Note
        Coordinates are integers from 0 to {{scale:0.###}} across the screenshot's width and height; the centre of a box is used.
        """);

    /// <summary>Builds the messages for one step.</summary>
    /// <param name="systemPrompt">The system prompt.</param>
    /// <param name="task">The task.</param>
    /// <param name="history">Earlier (answer, observation) pairs, oldest first.</param>
    /// <param name="screenshot">The current screenshot.</param>
    /// <returns>The messages.</returns>
    public static List<ChatMessage> CreateMessages(string systemPrompt, string task, IReadOnlyList<(string Answer, string Observation)> history, DataContent screenshot)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(screenshot);
        var messages = new List<ChatMessage> { new(ChatRole.System, systemPrompt) };
        string taskText = "Task: " + task;
        if (history.Count == 0)
        {
            messages.Add(new ChatMessage(ChatRole.User, [screenshot, new TextContent("\n" + taskText)]));
            return messages;
        }

        messages.Add(new ChatMessage(ChatRole.User, taskText));
        for (int i = 0; i < history.Count; i++)
        {
            messages.Add(new ChatMessage(ChatRole.Assistant, history[i].Answer));
            messages.Add(i == history.Count - 1
                ? new ChatMessage(ChatRole.User, [screenshot, new TextContent("\n" + history[i].Observation)])
                : new ChatMessage(ChatRole.User, history[i].Observation));
        }

        return messages;
    }
}
