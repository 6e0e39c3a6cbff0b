using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Panel.Reporting.Data.Migrations
{
    /// <inheritdoc />
    public partial class Representativeness : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "population_groups",
                columns: table => new
                {
                    municipality = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    age_band = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    gender = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    population = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_population_groups", x => new { x.municipality, x.age_band, x.gender });
                    table.CheckConstraint("ck_population_groups_population", "population >= 0");
                });

            migrationBuilder.CreateTable(
                name: "population_reference",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_population_reference", x => x.id);
                    table.CheckConstraint("ck_population_reference_singleton", "id = 1");
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "population_groups");

            migrationBuilder.DropTable(
                name: "population_reference");
        }
    }
}
