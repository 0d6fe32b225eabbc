import { z } from 'zod';

/** Request and response shapes of the usage routes, for validation and for the API description. */

const isoTime = z.string().meta({ format: 'date-time', description: 'ISO 8601, UTC' });
const count = z.number().int().min(0);

export const countsSchema = z.object({
  allowed: count,
  denied: count.meta({ description: 'Refused by the scope, the validity, the IP or time window, the rate limit, or a failed authentication of the key (one per key and minute)' }),
  error: count.meta({ description: 'Allowed, then failed in Odoo' }),
});

const bucketSchema = countsSchema.extend({ start: isoTime });

export const usageSeriesSchema = z.object({
  buckets: z.array(bucketSchema).meta({ description: 'Oldest first, every bucket present' }),
  totals: countsSchema,
});

const window = {
  from: isoTime.meta({ description: 'Start of the first bucket' }),
  to: isoTime.meta({ description: 'End of the last bucket (the one that holds now)' }),
  bucket_seconds: z.number().int(),
};

export const connectionUsageSchema = z.object({
  connection_id: z.string(),
  ...window,
  ...usageSeriesSchema.shape,
  top_tools: z.array(z.object({ tool: z.string(), calls: count })),
  top_models: z.array(z.object({ model: z.string(), calls: count })),
  denial_reasons: z.array(z.object({ code: z.string().nullable(), calls: count, latest_reason: z.string().nullable().meta({ description: 'The words of the latest denial with this code' }) })),
});

export const usageListSchema = z.object({
  ...window,
  items: z.array(usageSeriesSchema.extend({ connection_id: z.string() })).meta({ description: 'One per requested connection, in the order asked, unknown ids with zero calls' }),
});

export const MAX_USAGE_IDS = 200;

export const usageListQuerySchema = z.strictObject({
  connection_ids: z
    .string()
    .min(1)
    .meta({ description: `Comma-separated connection ids, at most ${MAX_USAGE_IDS} (a page of GET /connections)` })
    .transform((text) => [...new Set(text.split(',').map((id) => id.trim()).filter(Boolean))])
    .refine((ids) => ids.length > 0 && ids.length <= MAX_USAGE_IDS, { message: `give 1 to ${MAX_USAGE_IDS} connection ids` }),
});

export type ConnectionUsageJson = z.output<typeof connectionUsageSchema>;
export type UsageListJson = z.output<typeof usageListSchema>;
export type UsageSeriesJson = z.output<typeof usageSeriesSchema>;
