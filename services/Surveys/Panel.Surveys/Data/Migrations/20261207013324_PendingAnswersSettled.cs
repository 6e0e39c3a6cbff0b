using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Panel.Surveys.Data.Migrations
{
    /// <inheritdoc />
    public partial class PendingAnswersSettled : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "settled",
                table: "pending_responses",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "ix_pending_responses_unsettled",
                table: "pending_responses",
                column: "survey_id",
                filter: "NOT settled");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_pending_responses_unsettled",
                table: "pending_responses");

            migrationBuilder.DropColumn(
                name: "settled",
                table: "pending_responses");
        }
    }
}
