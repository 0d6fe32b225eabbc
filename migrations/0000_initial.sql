CREATE TABLE `audit_events` (
	`id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`kind` text NOT NULL,
	`connection_id` text,
	`connection_name` text,
	`key_public_id` text,
	`odoo_uid` integer,
	`odoo_login` text,
	`client_ip` text,
	`user_agent` text,
	`mcp_client_name` text,
	`mcp_client_version` text,
	`session_id` text,
	`tool` text,
	`model` text,
	`method` text,
	`record_ids` text,
	`outcome` text NOT NULL,
	`denial_code` text,
	`denial_reason` text,
	`odoo_error` text,
	`latency_ms` integer,
	`detail` text,
	`dead_lettered` integer DEFAULT false NOT NULL,
	`stored_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_at` ON `audit_events` (`at`);--> statement-breakpoint
CREATE INDEX `audit_connection_at` ON `audit_events` (`connection_id`,`at`);--> statement-breakpoint
CREATE INDEX `audit_outcome_at` ON `audit_events` (`outcome`,`at`);--> statement-breakpoint
CREATE INDEX `audit_model_at` ON `audit_events` (`model`,`at`);--> statement-breakpoint
CREATE INDEX `audit_tool_at` ON `audit_events` (`tool`,`at`);--> statement-breakpoint
CREATE TABLE `connections` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`odoo_account_id` text NOT NULL,
	`scope` text NOT NULL,
	`state` text DEFAULT 'active' NOT NULL,
	`key_public_id` text,
	`key_hash` text,
	`key_created_at` integer,
	`not_before` integer,
	`expires_at` integer,
	`log_payloads` integer DEFAULT false NOT NULL,
	`last_used_at` integer,
	`last_client_name` text,
	`last_client_version` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`revoked_at` integer,
	`expired_at` integer,
	FOREIGN KEY (`odoo_account_id`) REFERENCES `odoo_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `connections_key_public_id` ON `connections` (`key_public_id`);--> statement-breakpoint
CREATE INDEX `connections_created_at` ON `connections` (`created_at`);--> statement-breakpoint
CREATE INDEX `connections_state_expires_at` ON `connections` (`state`,`expires_at`);--> statement-breakpoint
CREATE INDEX `connections_odoo_account` ON `connections` (`odoo_account_id`);--> statement-breakpoint
CREATE TABLE `mcp_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`connection_id` text NOT NULL,
	`client_name` text,
	`client_version` text,
	`protocol_version` text NOT NULL,
	`created_at` integer NOT NULL,
	`ended_at` integer,
	`ended_reason` text,
	FOREIGN KEY (`connection_id`) REFERENCES `connections`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `mcp_sessions_connection` ON `mcp_sessions` (`connection_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `odoo_accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`url` text NOT NULL,
	`database` text NOT NULL,
	`login` text NOT NULL,
	`api` text NOT NULL,
	`api_key_ciphertext` text NOT NULL,
	`fingerprint` text,
	`odoo_uid` integer,
	`odoo_user_name` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
