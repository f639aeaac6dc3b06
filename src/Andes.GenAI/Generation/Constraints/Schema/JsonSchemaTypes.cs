namespace Andes.GenAI;

/// <summary>The JSON Schema <c>type</c> names a schema allows, as flags (a <c>type</c> array unites them).</summary>
[Flags]
internal enum JsonSchemaTypes
{
    /// <summary>No type.</summary>
    None = 0,

    /// <summary><c>"object"</c>.</summary>
    Object = 1,

    /// <summary><c>"array"</c>.</summary>
    Array = 2,

    /// <summary><c>"string"</c>.</summary>
    String = 4,

    /// <summary><c>"number"</c> (which includes integers).</summary>
    Number = 8,

    /// <summary><c>"integer"</c>.</summary>
    Integer = 16,

    /// <summary><c>"boolean"</c>.</summary>
    Boolean = 32,

    /// <summary><c>"null"</c>.</summary>
    Null = 64,

    /// <summary>Every type (a schema that says nothing about the type).</summary>
    All = Object | Array | String | Number | Integer | Boolean | Null,
}
