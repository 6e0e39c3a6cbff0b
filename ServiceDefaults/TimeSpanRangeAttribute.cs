using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Panel.ServiceDefaults;

/// <summary>
/// A TimeSpan setting between two bounds (inclusive), given as invariant "d.hh:mm:ss.fff" strings. Used instead of
/// <c>[Range(typeof(TimeSpan), …)]</c>, whose lazy conversion is not thread-safe (dotnet/runtime#1143): two hosts
/// validating the same options class for the first time at once (parallel test classes, or replicas of a service in
/// one process) could fail to start with "Unable to cast object of type 'System.TimeSpan' to type 'System.String'".
/// The bounds here are parsed once, in the constructor, and never change.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class TimeSpanRangeAttribute : ValidationAttribute
{
    public TimeSpanRangeAttribute(string minimum, string maximum)
        : base("The field {0} must be between {1} and {2}.")
    {
        Minimum = TimeSpan.Parse(minimum, CultureInfo.InvariantCulture);
        Maximum = TimeSpan.Parse(maximum, CultureInfo.InvariantCulture);
        (_minimumText, _maximumText) = (minimum, maximum);
    }

    private readonly string _minimumText;
    private readonly string _maximumText;

    public TimeSpan Minimum { get; }

    public TimeSpan Maximum { get; }

    /// <summary>Null passes, as with RangeAttribute ([Required] says whether a value must be given).</summary>
    public override bool IsValid(object? value) => value switch
    {
        null => true,
        TimeSpan t => t >= Minimum && t <= Maximum,
        _ => false,
    };

    public override string FormatErrorMessage(string name) =>
        string.Format(CultureInfo.InvariantCulture, ErrorMessageString, name, _minimumText, _maximumText);
}
