using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Panel.Membership.Data.Migrations
{
    /// <inheritdoc />
    public partial class EmailOutboxClaimOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_email_outbox_unsent",
                table: "email_outbox");

            migrationBuilder.CreateIndex(
                name: "ix_email_outbox_unsent",
                table: "email_outbox",
                columns: new[] { "created_at", "id" },
                filter: "sent_at IS NULL AND failed_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_email_outbox_unsent",
                table: "email_outbox");

            migrationBuilder.CreateIndex(
                name: "ix_email_outbox_unsent",
                table: "email_outbox",
                column: "created_at",
                filter: "sent_at IS NULL AND failed_at IS NULL");
        }
    }
}
