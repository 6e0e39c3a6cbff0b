using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Panel.Reporting.Data.Migrations
{
    /// <inheritdoc />
    public partial class ResultsRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "survey_answer_rollups",
                columns: table => new
                {
                    survey_id = table.Column<Guid>(type: "uuid", nullable: false),
                    attribute = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    audience = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    attribute_value = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    question_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    item = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    value = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    respondents = table.Column<long>(type: "bigint", nullable: false),
                    total = table.Column<decimal>(type: "numeric(20,4)", precision: 20, scale: 4, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_survey_answer_rollups", x => new { x.survey_id, x.attribute, x.audience, x.attribute_value, x.question_id, x.item, x.value });
                });

            // Existing results are kept: each full-cell row of the old cube is added to the rollup of every attribute
            // under its cell's value of that attribute, in its audience (open-link apart from every other channel),
            // exactly as ResultsCube.ApplyAsync adds an answer set's deltas.
            migrationBuilder.Sql("""
                INSERT INTO survey_answer_rollups (survey_id, attribute, audience, attribute_value, question_id, item, value, respondents, total)
                SELECT c.survey_id, a.attribute, CASE WHEN c.channel = 'open-link' THEN 'open-link' ELSE 'panel' END, a.attribute_value,
                       c.question_id, c.item, c.value, sum(c.respondents), sum(c.total)
                FROM survey_answer_counts c
                CROSS JOIN LATERAL (VALUES ('ageBand', c.age_band), ('municipality', c.municipality), ('gender', c.gender),
                                           ('language', c.language), ('isClient', c.is_client), ('channel', c.channel)) AS a(attribute, attribute_value)
                GROUP BY 1, 2, 3, 4, 5, 6, 7;
                """);

            migrationBuilder.DropTable(
                name: "survey_answer_counts");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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

            // The rollups do not hold the combinations of attributes, so the old cube gets the channel rollup only
            // (every other attribute "unknown"): totals, audiences and the channel breakdown survive a downgrade.
            migrationBuilder.Sql("""
                INSERT INTO survey_answer_counts (survey_id, question_id, item, value, age_band, municipality, gender, language, is_client, channel, respondents, total)
                SELECT survey_id, question_id, item, value, '', '', '', '', '', attribute_value, respondents, total
                FROM survey_answer_rollups WHERE attribute = 'channel';
                """);

            migrationBuilder.DropTable(
                name: "survey_answer_rollups");
        }
    }
}
