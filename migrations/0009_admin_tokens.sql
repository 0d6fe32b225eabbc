CREATE TABLE `admin_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`token_hash` text NOT NULL,
	`public_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text,
	`expires_at` integer,
	`revoked_at` integer,
	`revoked_by` text,
	`last_used_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `admin_tokens_token_hash` ON `admin_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `admin_tokens_created_at_id` ON `admin_tokens` (`created_at`,`id`);--> statement-breakpoint
ALTER TABLE `connections` ADD `created_by` text;--> statement-breakpoint
ALTER TABLE `connections` ADD `revoked_by` text;--> statement-breakpoint
ALTER TABLE `console_sessions` ADD `actor` text;