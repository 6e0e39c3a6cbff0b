using Panel.Messaging;

namespace Panel.Feedback.Data;

internal sealed class DesignTimeFactory : DesignTimeDbContextFactory<FeedbackDbContext>;
