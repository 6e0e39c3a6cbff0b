namespace Panel;

/// <summary>
/// Names of connection strings and services, shared by the AppHost, the services, the scripts'
/// environment (ConnectionStrings__NAME, services__NAME__http__0) and the tests.
/// </summary>
public static class ConnectionNames
{
    public const string MembershipDb = "membershipdb";
    public const string SurveysDb = "surveysdb";
    public const string FeedbackDb = "feedbackdb";
    public const string ReportingDb = "reportingdb";
    public const string GatewayDb = "gatewaydb";
    public const string EventBus = "eventbus";
}

public static class ServiceNames
{
    public const string Membership = "membership";
    public const string Surveys = "surveys";
    public const string Feedback = "feedback";
    public const string Reporting = "reporting";
    public const string Gateway = "gateway";

    public static readonly IReadOnlyList<string> Backends = [Membership, Surveys, Feedback, Reporting];
}
