ALTER TABLE `connections` ADD `auth` text DEFAULT 'key' NOT NULL;--> statement-breakpoint
ALTER TABLE `connections` ADD `oauth_client_id` text;--> statement-breakpoint
ALTER TABLE `connections` ADD `oauth_client_name` text;--> statement-breakpoint
ALTER TABLE `connections` ADD `oauth_registration` text;--> statement-breakpoint
ALTER TABLE `connections` ADD `oauth_redirect_uris` text;--> statement-breakpoint
ALTER TABLE `connections` ADD `last_token_at` integer;