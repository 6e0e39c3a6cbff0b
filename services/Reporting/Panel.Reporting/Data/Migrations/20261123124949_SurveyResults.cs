using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Panel.Reporting.Data.Migrations
{
    /// <inheritdoc />
    public partial class SurveyResults : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "results_survey_definitions",
                columns: table => new
                {
                    survey_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    definition = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_results_survey_definitions", x => new { x.survey_id, x.version });
                });

            migrationBuilder.CreateTable(
                name: "results_surveys",
                columns: table => new
                {
                    survey_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    service_area = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    minimum_group_size = table.Column<int>(type: "integer", nullable: false),
                    stage = table.Column<int>(type: "integer", nullable: false),
                    title = table.Column<string>(type: "jsonb", nullable: false),
                    purpose = table.Column<string>(type: "jsonb", nullable: false),
                    results_use = table.Column<string>(type: "jsonb", nullable: false),
                    definition = table.Column<string>(type: "jsonb", nullable: true),
                    opens_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    closes_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_results_surveys", x => x.survey_id);
                });

            migrationBuilder.CreateTable(
                name: "survey_answer_counts",
                columns: table => new
                {
                    survey_id = table.Column<Guid>(type: "uuid", nullable: false),
                    question_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    item = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    value = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    age_band = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    municipality = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    gender = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    language = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    is_client = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false),
                    channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    respondents = table.Column<long>(type: "bigint", nullable: false),
                    total = table.Column<decimal>(type: "numeric(20,4)", precision: 20, scale: 4, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_survey_answer_counts", x => new { x.survey_id, x.question_id, x.item, x.value, x.age_band, x.municipality, x.gender, x.language, x.is_client, x.channel });
                });

            migrationBuilder.CreateTable(
                name: "survey_free_texts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    survey_id = table.Column<Guid>(type: "uuid", nullable: false),
                    question_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    age_band = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    municipality = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    gender = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    language = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    is_client = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false),
                    channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    text = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_survey_free_texts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "survey_funnel_days",
                columns: table => new
                {
                    survey_id = table.Column<Guid>(type: "uuid", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    invited = table.Column<long>(type: "bigint", nullable: false),
                    opened = table.Column<long>(type: "bigint", nullable: false),
                    answered = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_survey_funnel_days", x => new { x.survey_id, x.day });
                });

            migrationBuilder.CreateTable(
                name: "survey_report_readers",
                columns: table => new
                {
                    survey_id = table.Column<Guid>(type: "uuid", nullable: false),
                    staff_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_survey_report_readers", x => new { x.survey_id, x.staff_id });
                });

            migrationBuilder.CreateIndex(
                name: "ix_survey_free_texts_survey_id_question_id_id",
                table: "survey_free_texts",
                columns: new[] { "survey_id", "question_id", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "results_survey_definitions");

            migrationBuilder.DropTable(
                name: "results_surveys");

            migrationBuilder.DropTable(
                name: "survey_answer_counts");

            migrationBuilder.DropTable(
                name: "survey_free_texts");

            migrationBuilder.DropTable(
                name: "survey_funnel_days");

            migrationBuilder.DropTable(
                name: "survey_report_readers");
        }
    }
}
