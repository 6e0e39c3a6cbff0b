using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Panel.Membership.Data.Migrations
{
    /// <inheritdoc />
    public partial class InvitationAcknowledgement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_email_outbox_unsent",
                table: "email_outbox");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "acknowledged_at",
                table: "invitations",
                type: "timestamp with time zone",
                nullable: true);

            // Invitations issued before acknowledgements existed were emailed at once: they count as acknowledged, and
            // their queued emails are not held (held defaults to false), so nothing issued earlier waits for an
            // acknowledgement that will not come.
            migrationBuilder.Sql("UPDATE invitations SET acknowledged_at = invited_at");

            migrationBuilder.AddColumn<bool>(
                name: "held",
                table: "email_outbox",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "ix_email_outbox_unsent",
                table: "email_outbox",
                columns: new[] { "created_at", "id" },
                filter: "sent_at IS NULL AND failed_at IS NULL AND NOT held");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_email_outbox_unsent",
                table: "email_outbox");

            migrationBuilder.DropColumn(
                name: "acknowledged_at",
                table: "invitations");

            migrationBuilder.DropColumn(
                name: "held",
                table: "email_outbox");

            migrationBuilder.CreateIndex(
                name: "ix_email_outbox_unsent",
                table: "email_outbox",
                columns: new[] { "created_at", "id" },
                filter: "sent_at IS NULL AND failed_at IS NULL");
        }
    }
}
