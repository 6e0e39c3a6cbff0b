using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Panel.Reporting.Data.Migrations
{
    /// <inheritdoc />
    public partial class PanelHealth : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "panel_daily_flows",
                columns: table => new
                {
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    campaign_code = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    joined = table.Column<int>(type: "integer", nullable: false),
                    verified = table.Column<int>(type: "integer", nullable: false),
                    withdrawn = table.Column<int>(type: "integer", nullable: false),
                    erased = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_panel_daily_flows", x => new { x.day, x.campaign_code });
                });

            migrationBuilder.CreateTable(
                name: "panel_daily_sign_ins",
                columns: table => new
                {
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    sign_ins = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_panel_daily_sign_ins", x => x.day);
                });

            migrationBuilder.CreateTable(
                name: "panel_member_counts",
                columns: table => new
                {
                    state = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    municipality = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    age_band = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    gender = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    members = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_panel_member_counts", x => new { x.state, x.municipality, x.age_band, x.gender });
                });

            // Before this migration only MemberJoined was consumed, so every member counted so far was
            // Pending (as far as Reporting knows); their gender was not kept. Later events move them on
            // by deltas, which keeps the composition (summed over gender) right.
            migrationBuilder.Sql("""
                INSERT INTO panel_member_counts (state, municipality, age_band, gender, members)
                SELECT 'Pending', municipality, age_band, '', members FROM panel_group_counts
                """);

            migrationBuilder.DropTable(
                name: "panel_group_counts");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "panel_daily_flows");

            migrationBuilder.DropTable(
                name: "panel_daily_sign_ins");

            migrationBuilder.DropTable(
                name: "panel_member_counts");

            migrationBuilder.CreateTable(
                name: "panel_group_counts",
                columns: table => new
                {
                    municipality = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    age_band = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    members = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_panel_group_counts", x => new { x.municipality, x.age_band });
                });
        }
    }
}
