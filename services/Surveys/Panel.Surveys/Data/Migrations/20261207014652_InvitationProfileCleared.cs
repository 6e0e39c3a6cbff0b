using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Panel.Surveys.Data.Migrations
{
    /// <inheritdoc />
    public partial class InvitationProfileCleared : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "profile",
                table: "invitations",
                type: "jsonb",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "jsonb");

            // What answered invitations and those of closed surveys kept until now goes (see Invitation.Profile).
            migrationBuilder.Sql("""
                UPDATE invitations i SET profile = NULL
                WHERE i.profile IS NOT NULL
                  AND (i.answered OR EXISTS (SELECT 1 FROM surveys s WHERE s.id = i.survey_id AND s.state IN ('Closed', 'ResultsPublished')))
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE invitations SET profile = '{"ageBand":"","municipality":"","gender":null,"language":"","isClient":null}'::jsonb
                WHERE profile IS NULL
                """);

            migrationBuilder.AlterColumn<string>(
                name: "profile",
                table: "invitations",
                type: "jsonb",
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "jsonb",
                oldNullable: true);
        }
    }
}
