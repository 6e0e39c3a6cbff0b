using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Panel.Surveys.Data.Migrations
{
    /// <inheritdoc />
    public partial class Answering : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "public_id",
                table: "surveys",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "channel",
                table: "survey_responses",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "answer_drafts",
                columns: table => new
                {
                    key_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    survey_id = table.Column<Guid>(type: "uuid", nullable: false),
                    page_id = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    answers = table.Column<string>(type: "jsonb", nullable: false),
                    saved_on = table.Column<DateOnly>(type: "date", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_answer_drafts", x => x.key_hash);
                    table.ForeignKey(
                        name: "fk_answer_drafts_surveys_survey_id",
                        column: x => x.survey_id,
                        principalTable: "surveys",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "invitations",
                columns: table => new
                {
                    token_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    survey_id = table.Column<Guid>(type: "uuid", nullable: false),
                    profile = table.Column<string>(type: "jsonb", nullable: false),
                    language = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    opened = table.Column<bool>(type: "boolean", nullable: false),
                    answered = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_invitations", x => x.token_hash);
                    table.ForeignKey(
                        name: "fk_invitations_surveys_survey_id",
                        column: x => x.survey_id,
                        principalTable: "surveys",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "pending_responses",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    survey_id = table.Column<Guid>(type: "uuid", nullable: false),
                    definition_version = table.Column<int>(type: "integer", nullable: false),
                    submitted_on = table.Column<DateOnly>(type: "date", nullable: false),
                    channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    profile = table.Column<string>(type: "jsonb", nullable: true),
                    answers = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pending_responses", x => x.id);
                    table.ForeignKey(
                        name: "fk_pending_responses_surveys_survey_id",
                        column: x => x.survey_id,
                        principalTable: "surveys",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_surveys_public_id",
                table: "surveys",
                column: "public_id",
                unique: true,
                filter: "public_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_answer_drafts_survey_id",
                table: "answer_drafts",
                column: "survey_id");

            migrationBuilder.CreateIndex(
                name: "ix_invitations_survey_id",
                table: "invitations",
                column: "survey_id");

            migrationBuilder.CreateIndex(
                name: "ix_pending_responses_survey_id",
                table: "pending_responses",
                column: "survey_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "answer_drafts");

            migrationBuilder.DropTable(
                name: "invitations");

            migrationBuilder.DropTable(
                name: "pending_responses");

            migrationBuilder.DropIndex(
                name: "ix_surveys_public_id",
                table: "surveys");

            migrationBuilder.DropColumn(
                name: "public_id",
                table: "surveys");

            migrationBuilder.DropColumn(
                name: "channel",
                table: "survey_responses");
        }
    }
}
