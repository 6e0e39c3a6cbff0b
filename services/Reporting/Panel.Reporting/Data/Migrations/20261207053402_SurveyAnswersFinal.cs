using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Panel.Reporting.Data.Migrations
{
    /// <inheritdoc />
    public partial class SurveyAnswersFinal : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "final_responses",
                table: "results_surveys",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "final_responses",
                table: "results_surveys");
        }
    }
}
