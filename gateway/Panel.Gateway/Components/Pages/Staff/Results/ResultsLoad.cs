using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components;
using Panel.Gateway.Backends;
using Panel.Gateway.Backends.Reporting;
using Panel.Gateway.Components.Pages.PublicResults;
using Panel.Gateway.Accounts;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Components.Pages.Staff.SurveyResults;

/// <summary>
/// What the results page and its print version show: the (filtered) results, the funnel and the option labels, read
/// together; or why not (the page's status is set, a 404 renders the not-found page).
/// </summary>
public sealed record ResultsLoad(
    SurveyResultsResponse? Results, FunnelResponse? Funnel, ChoiceLabels Labels, ResultsFilter? Filter, string? FilterError,
    HttpStatusCode Status, IReadOnlyDictionary<string, string[]> Errors)
{
    public static async Task<ResultsLoad> ReadAsync(
        IReportingClient reporting, HttpContext http, NavigationManager navigation, Guid id, string? f, string? municipality)
    {
        var none = new Dictionary<string, string[]>();
        var (filter, filterError) = ResultsFilter.Parse(f, municipality);
        if (filterError is not null)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return new ResultsLoad(null, null, ChoiceLabels.None, null, filterError, HttpStatusCode.BadRequest, none);
        }

        var ct = http.RequestAborted;
        var resultsTask = filter is null
            ? reporting.GetSurveyResultsAsync(id, null, null, null, null, null, null, ct)
            : reporting.GetSurveyResultsAsync(id, filter.For("ageBand"), filter.For("municipality"), filter.For("gender"),
                filter.For("language"), filter.For("isClient"), filter.For("channel"), ct);
        var funnelTask = reporting.GetSurveyFunnelAsync(id, ct);
        // Both awaited, also when the results fail: neither outlives the request.
        var funnel = await ServiceCall.OrNull(() => funnelTask);

        try
        {
            var results = await resultsTask;
            var labels = ChoiceLabels.From(results.Audiences.SelectMany(a => a.Questions));
            return new ResultsLoad(results, funnel, labels, filter, null, HttpStatusCode.OK, none);
        }
        catch (ServiceException e)
        {
            if (!ResultsProblem.NotFoundOr(e.Status, navigation))
            {
                http.Response.StatusCode = ResultsProblem.PageStatus(e.Status);
            }

            return new ResultsLoad(null, null, ChoiceLabels.None, filter, null, e.Status, e.Errors);
        }
    }
}
