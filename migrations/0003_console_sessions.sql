CREATE TABLE `console_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`admin_token_fingerprint` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`ended_at` integer,
	`ended_reason` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `console_sessions_token_hash` ON `console_sessions` (`token_hash`);--> statement-breakpoint
CREATE INDEX `console_sessions_expires_at` ON `console_sessions` (`expires_at`);