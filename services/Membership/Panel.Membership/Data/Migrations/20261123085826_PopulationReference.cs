using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Panel.Membership.Data.Migrations
{
    /// <inheritdoc />
    public partial class PopulationReference : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "population_references",
                columns: table => new
                {
                    version = table.Column<int>(type: "integer", nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    published_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    groups = table.Column<int>(type: "integer", nullable: false),
                    total = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_population_references", x => x.version);
                    table.CheckConstraint("ck_population_references_groups", "groups > 0");
                    table.CheckConstraint("ck_population_references_total", "total > 0");
                });

            migrationBuilder.CreateTable(
                name: "population_reference_rows",
                columns: table => new
                {
                    version = table.Column<int>(type: "integer", nullable: false),
                    municipality = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    age_band = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    gender = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_population_reference_rows", x => new { x.version, x.municipality, x.age_band, x.gender });
                    table.CheckConstraint("ck_population_reference_rows_count", "count >= 0");
                    table.CheckConstraint("ck_population_reference_rows_gender", "gender IN ('woman', 'man')");
                    table.ForeignKey(
                        name: "fk_population_reference_rows_population_references_version",
                        column: x => x.version,
                        principalTable: "population_references",
                        principalColumn: "version",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "population_reference_rows");

            migrationBuilder.DropTable(
                name: "population_references");
        }
    }
}
