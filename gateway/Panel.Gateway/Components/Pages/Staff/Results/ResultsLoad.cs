using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components;
using Panel.Gateway.Backends;
using Panel.Gateway.Components.Pages.PublicResults;
using Panel.Gateway.Staff;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Components.Pages.Staff.SurveyResults;

/// <summary>
/// What the results page and its print version show: the (filtered) results, the funnel and the option labels, read
/// together; or why not (the page's status is set, a 404 renders the not-found page).
/// </summary>
public sealed record ResultsLoad(
    SurveyResultsInfo? Results, FunnelInfo? Funnel, ChoiceLabels Labels, ResultsFilter? Filter, string? FilterError,
    HttpStatusCode Status, IReadOnlyDictionary<string, string[]> Errors)
{
    public static async Task<ResultsLoad> ReadAsync(
        SurveysClient api, HttpContext http, NavigationManager navigation, Guid id, string? f, string? municipality)
    {
        var none = new Dictionary<string, string[]>();
        var (filter, filterError) = ResultsFilter.Parse(f, municipality);
        if (filterError is not null)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return new ResultsLoad(null, null, ChoiceLabels.None, null, filterError, HttpStatusCode.BadRequest, none);
        }

        var ct = http.RequestAborted;
        var resultsTask = api.GetAsync<SurveyResultsInfo>(ServiceNames.Reporting, ReportingApi.Results(id, filter is null ? null : "?" + filter.BackendQuery[1..]), http.User, ct);
        var funnelTask = api.GetAsync<FunnelInfo>(ServiceNames.Reporting, ReportingApi.Funnel(id), http.User, ct);
        // Both awaited, also when the results fail: neither outlives the request.
        var result = await resultsTask;
        var funnel = await funnelTask;
        if (!result.Ok || result.Value is null)
        {
            if (!ResultsProblem.NotFoundOr(result.Status, navigation))
            {
                http.Response.StatusCode = ResultsProblem.PageStatus(result.Status);
            }

            return new ResultsLoad(null, null, ChoiceLabels.None, filter, null, result.Status, result.Errors);
        }

        var labels = ChoiceLabels.From(result.Value.Audiences.SelectMany(a => a.Questions));
        return new ResultsLoad(result.Value, funnel.Ok ? funnel.Value : null, labels, filter, null, result.Status, none);
    }
}
