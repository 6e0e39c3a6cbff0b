using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Panel.Surveys.Definitions;

namespace Panel.Surveys.Data;

/// <summary>Maps a property to a jsonb column written with <see cref="DefinitionJson"/> (polymorphic questions, kebab-case enums).</summary>
internal static class JsonColumns
{
    public static PropertyBuilder<T> HasJsonColumn<T>(this PropertyBuilder<T> property)
        where T : class?
    {
        property.HasConversion(
                v => DefinitionJson.Serialize(v),
                s => DefinitionJson.Deserialize<T>(s),
                new ValueComparer<T>(
                    (a, b) => DefinitionJson.Serialize(a) == DefinitionJson.Serialize(b),
                    v => DefinitionJson.Serialize(v).GetHashCode(StringComparison.Ordinal),
                    v => v == null ? v! : DefinitionJson.Deserialize<T>(DefinitionJson.Serialize(v))))
            .HasColumnType("jsonb");
        return property;
    }
}
