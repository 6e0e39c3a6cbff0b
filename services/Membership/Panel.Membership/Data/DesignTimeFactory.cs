using Panel.Messaging;

namespace Panel.Membership.Data;

internal sealed class DesignTimeFactory : DesignTimeDbContextFactory<MembershipDbContext>;
