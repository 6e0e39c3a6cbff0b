using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Panel.Surveys.Data.Migrations
{
    /// <inheritdoc />
    public partial class SurveyAnswersFinal : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "answers_final_at",
                table: "surveys",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "answers_final_at",
                table: "surveys");
        }
    }
}
