DROP INDEX `connections_created_at`;--> statement-breakpoint
CREATE INDEX `connections_created_at_id` ON `connections` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `connections_name_id` ON `connections` ("name" collate nocase,`id`);--> statement-breakpoint
CREATE INDEX `connections_last_used_id` ON `connections` ((case when "last_used_at" is null then 0 else "last_used_at" end),`id`);