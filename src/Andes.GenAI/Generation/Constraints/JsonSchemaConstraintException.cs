namespace Andes.GenAI;

/// <summary>
/// A JSON Schema cannot be compiled into a decoding constraint: it is malformed (e.g. <c>maxItems</c> below
/// <c>minItems</c>, an unresolvable <c>$ref</c>), unsatisfiable, or uses an assertion keyword the constraint does not
/// implement (see <see cref="JsonConstraint.ForSchema"/>).
/// </summary>
public sealed class JsonSchemaConstraintException : ArgumentException
{
    /// <summary>Initializes a new instance of the <see cref="JsonSchemaConstraintException"/> class.</summary>
    /// <param name="schemaPath">The JSON pointer of the offending subschema (e.g. <c>#/properties/tags/items</c>).</param>
    /// <param name="keyword">The offending keyword, or <see langword="null"/> when the subschema as a whole is the problem.</param>
    /// <param name="message">What is wrong.</param>
    public JsonSchemaConstraintException(string schemaPath, string? keyword, string message)
        : base($"JSON schema at '{schemaPath}'{(keyword is null ? string.Empty : $", keyword '{keyword}'")}: {message}", "schema")
    {
        SchemaPath = schemaPath;
        Keyword = keyword;
        Reason = message;
    }

    /// <summary>Gets the JSON pointer of the offending subschema.</summary>
    public string SchemaPath { get; }

    /// <summary>Gets the offending keyword, if any.</summary>
    public string? Keyword { get; }

    /// <summary>Gets what is wrong, without the location.</summary>
    public string Reason { get; }
}
