namespace Andes.GenAI;

/// <summary>
/// A value shape of <see cref="JsonSchemaCompiler"/> that must become the merge of other shapes (the alternatives of an
/// <c>anyOf</c>, or the one target of a <c>$ref</c>) but could not be built yet, because a source was still being
/// compiled when it was needed (a recursive reference).
/// </summary>
/// <param name="Target">The value shape to fill.</param>
/// <param name="Sources">The value shapes to merge into it, in order.</param>
/// <param name="Path">The schema path to report if the sources never finish.</param>
internal readonly record struct DeferredMerge(int Target, int[] Sources, string Path);
