CREATE TABLE `oauth_invitations` (
	`id` text PRIMARY KEY NOT NULL,
	`code_hash` text NOT NULL,
	`name` text NOT NULL,
	`odoo_account_id` text,
	`scope` text NOT NULL,
	`connection_expires_at` integer,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`used_at` integer,
	`connection_id` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `oauth_invitations_code_hash` ON `oauth_invitations` (`code_hash`);--> statement-breakpoint
CREATE INDEX `oauth_invitations_expires_at` ON `oauth_invitations` (`expires_at`);