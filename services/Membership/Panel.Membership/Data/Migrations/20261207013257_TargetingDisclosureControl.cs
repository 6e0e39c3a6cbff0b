using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Panel.Membership.Data.Migrations
{
    /// <inheritdoc />
    public partial class TargetingDisclosureControl : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "record_key",
                table: "members",
                type: "integer",
                nullable: false,
                defaultValueSql: "floor(random() * 2147483647)::int");

            migrationBuilder.AddColumn<int>(
                name: "record_key",
                table: "invitations",
                type: "integer",
                nullable: false,
                defaultValueSql: "floor(random() * 2147483647)::int");

            migrationBuilder.AddColumn<string>(
                name: "not_issued",
                table: "invitation_surveys",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "targeting_queries",
                columns: table => new
                {
                    hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    criteria = table.Column<string>(type: "jsonb", nullable: false),
                    asked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_targeting_queries", x => x.hash);
                });

            migrationBuilder.CreateIndex(
                name: "ix_targeting_queries_asked_at",
                table: "targeting_queries",
                column: "asked_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "targeting_queries");

            migrationBuilder.DropColumn(
                name: "record_key",
                table: "members");

            migrationBuilder.DropColumn(
                name: "record_key",
                table: "invitations");

            migrationBuilder.DropColumn(
                name: "not_issued",
                table: "invitation_surveys");
        }
    }
}
