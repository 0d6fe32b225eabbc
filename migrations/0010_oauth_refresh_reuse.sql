CREATE TABLE `oauth_refresh_redemptions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`grant_id` text NOT NULL,
	`used_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `oauth_refresh_redemptions_used_at` ON `oauth_refresh_redemptions` (`used_at`);