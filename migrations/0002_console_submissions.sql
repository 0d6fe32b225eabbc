CREATE TABLE `console_submissions` (
	`id` text PRIMARY KEY NOT NULL,
	`connection_id` text,
	`sealed_created` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `console_submissions_created_at` ON `console_submissions` (`created_at`);