using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Panel.Membership.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReportedAgeBand : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "reported_age_band",
                table: "members",
                type: "character varying(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "");

            // Existing events computed each snapshot's band from the year of that event, so the group Reporting
            // counts a member in is the one their last event moved them into: the current profile of a
            // MemberProfileChanged, the profile of any other event. The outbox keeps relayed events (except those
            // of erased members, whose rows are gone), so that band is known for every member who had an event.
            migrationBuilder.Sql("""
                WITH last AS (
                    SELECT DISTINCT ON (body->>'panelistId')
                           body->>'panelistId' AS member_id,
                           coalesce(body->'current'->>'ageBand', body->'profile'->>'ageBand') AS band
                    FROM outbox_messages
                    WHERE message_type IN ('Panel.Contracts.MemberJoined', 'Panel.Contracts.MemberVerified',
                                           'Panel.Contracts.MemberPaused', 'Panel.Contracts.MemberResumed',
                                           'Panel.Contracts.MemberWithdrawn', 'Panel.Contracts.MemberProfileChanged')
                    ORDER BY body->>'panelistId', created_at DESC, id DESC
                )
                UPDATE members m SET reported_age_band = last.band
                FROM last
                WHERE last.member_id = m.id::text AND last.band IS NOT NULL;
                """);

            // Should an event be missing, the member's latest recorded change stands in for their last event time
            // (years in UTC, as the events reckoned them). The bands are written out as AgeBands had them then.
            migrationBuilder.Sql("""
                UPDATE members SET reported_age_band =
                    CASE
                        WHEN y - birth_year < 25 THEN '15-24'
                        WHEN y - birth_year < 35 THEN '25-34'
                        WHEN y - birth_year < 45 THEN '35-44'
                        WHEN y - birth_year < 55 THEN '45-54'
                        WHEN y - birth_year < 65 THEN '55-64'
                        WHEN y - birth_year < 75 THEN '65-74'
                        WHEN y - birth_year < 85 THEN '75-84'
                        ELSE '85+'
                    END
                FROM (SELECT id AS member_id,
                             extract(year FROM greatest(joined_at, verified_at, paused_at, withdrawn_at, profile_changed_at)
                                               AT TIME ZONE 'UTC')::int AS y
                      FROM members) latest
                WHERE latest.member_id = members.id AND members.reported_age_band = '';
                """);

            migrationBuilder.Sql("ALTER TABLE members ALTER COLUMN reported_age_band DROP DEFAULT;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "reported_age_band",
                table: "members");
        }
    }
}
