CREATE TABLE `approvals` (
	`id` text PRIMARY KEY NOT NULL,
	`connection_id` text NOT NULL,
	`tool` text NOT NULL,
	`model` text,
	`method` text,
	`arguments` text NOT NULL,
	`digest` text NOT NULL,
	`rule` text NOT NULL,
	`status` text NOT NULL,
	`requested_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`decided_by` text,
	`decided_at` integer,
	`note` text,
	`reason` text,
	`result` text,
	`executed_at` integer,
	`delivered_at` integer,
	FOREIGN KEY (`connection_id`) REFERENCES `connections`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `approvals_open_digest` ON `approvals` (`connection_id`,`digest`) WHERE status in ('pending', 'approved');--> statement-breakpoint
CREATE INDEX `approvals_requested_at_id` ON `approvals` (`requested_at`,`id`);--> statement-breakpoint
CREATE INDEX `approvals_connection_requested_at` ON `approvals` (`connection_id`,`requested_at`);--> statement-breakpoint
CREATE INDEX `approvals_status_expires_at` ON `approvals` (`status`,`expires_at`);