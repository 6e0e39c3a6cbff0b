using System.ComponentModel.DataAnnotations;
using Panel.Messaging;
using Panel.ServiceDefaults;

namespace Panel.Messaging.Tests;

/// <summary>
/// The TimeSpan bounds of every service's options (<see cref="TimeSpanRangeAttribute"/>). RangeAttribute with
/// typeof(TimeSpan) converted its bounds lazily and not thread-safely (dotnet/runtime#1143): in CI a Surveys test host
/// failed to start with "Unable to cast object of type 'System.TimeSpan' to type 'System.String'" when another validated
/// the same options at the same moment.
/// </summary>
public sealed class OptionsValidationTests
{
    [Fact]
    public void A_timespan_range_validated_from_many_threads_at_once_for_the_first_time_never_throws()
    {
        for (var round = 0; round < 50; round++)
        {
            var range = new TimeSpanRangeAttribute("00:00:00.050", "00:01:00");
            using var start = new ManualResetEventSlim();
            var results = new bool[16];
            var threads = Enumerable.Range(0, results.Length).Select(i => new Thread(() =>
            {
                start.Wait();
                results[i] = range.IsValid(TimeSpan.FromSeconds(i % 2 == 0 ? 1 : 120));
            })).ToList();
            threads.ForEach(t => t.Start());
            start.Set();
            threads.ForEach(t => t.Join());
            Assert.All(results.Where((_, i) => i % 2 == 0), Assert.True);
            Assert.All(results.Where((_, i) => i % 2 == 1), Assert.False);
        }
    }

    [Fact]
    public void Bounds_are_inclusive_and_the_message_names_the_setting_and_its_bounds()
    {
        var range = new TimeSpanRangeAttribute("00:00:01", "1.00:00:00");
        Assert.True(range.IsValid(TimeSpan.FromSeconds(1)));
        Assert.True(range.IsValid(TimeSpan.FromDays(1)));
        Assert.False(range.IsValid(TimeSpan.FromMilliseconds(999)));
        Assert.False(range.IsValid(TimeSpan.FromDays(1) + TimeSpan.FromTicks(1)));
        Assert.True(range.IsValid(null));
        Assert.Equal("The field RelayPollInterval must be between 00:00:01 and 1.00:00:00.", range.FormatErrorMessage("RelayPollInterval"));
    }

    [Fact]
    public void Messaging_options_out_of_range_fail_validation_naming_the_setting()
    {
        var options = new MessagingOptions { RelayPollInterval = TimeSpan.FromHours(2) };
        var results = new List<ValidationResult>();

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        Assert.Contains(results, r => r.MemberNames.Contains(nameof(MessagingOptions.RelayPollInterval)));
    }
}
