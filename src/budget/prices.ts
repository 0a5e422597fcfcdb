// The price table: USD per million tokens for each model, shipped as data/prices.json (dated)
// and overridden per model by --prices FILE or a workflow's `prices:`. Prices a usage when the
// agent does not report its cost.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

import { UsageError } from '../errors.js';
import type { TokenUsage } from '../model/outcome.js';
import { packageInfo } from '../package-root.js';

const rate = z.number().nonnegative().finite();

/** One model's prices, as a file writes them. */
export const modelPriceSchema = z.strictObject({
  input: rate,
  cached_input: rate.optional(),
  cache_write: rate.optional(),
  output: rate,
});

/** A price table as a file writes it: `{ MODEL: { input, cached_input, cache_write, output } }`. */
export const priceTableSchema = z.record(z.string().min(1), modelPriceSchema);

/** One model's prices, USD per million tokens, every rate known. */
export interface ModelPrice {
  readonly input: number;
  readonly cached_input: number;
  readonly cache_write: number;
  readonly output: number;
}

/** Prices per model, and the date of the shipped table they start from. */
export interface PriceTable {
  readonly asOf: string;
  readonly models: ReadonlyMap<string, ModelPrice>;
}

/** The table shipped with parex (data/prices.json). */
export function shippedPrices(): PriceTable {
  const file = path.join(packageInfo().root, 'data', 'prices.json');
  const data = JSON.parse(readFileSync(file, 'utf8')) as { as_of: string; models: unknown };
  return { asOf: data.as_of, models: toModels(priceTableSchema.parse(data.models)) };
}

/** The table with `overrides` replacing or adding models. */
export function withOverrides(
  table: PriceTable,
  overrides: z.infer<typeof priceTableSchema>,
): PriceTable {
  return { asOf: table.asOf, models: new Map([...table.models, ...toModels(overrides)]) };
}

/** Reads a --prices FILE (JSON or YAML); throws a UsageError that says what is wrong. */
export function readPricesFile(file: string): z.infer<typeof priceTableSchema> {
  let data: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    data = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new UsageError(
      `cannot read the price table ${file}: ${(error as Error).message}`,
      '--prices needs a JSON or YAML file of USD per million tokens per model',
      'check the path and the syntax, e.g. {"my-model": {"input": 3, "output": 15}}',
    );
  }
  const parsed = priceTableSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : ` at ${issue.path.join('.') || 'the top'}`;
    throw new UsageError(
      `the price table ${file} is not valid${where}: ${issue?.message ?? 'wrong shape'}`,
      'each model needs input and output (and may give cached_input, cache_write), numbers >= 0 in USD per million tokens',
      'write it as {"MODEL": {"input": 3, "cached_input": 0.3, "cache_write": 3.75, "output": 15}}',
    );
  }
  return parsed.data;
}

/** The prices of `model`: its exact entry, else the longest entry its name starts with. */
export function priceOf(table: PriceTable, model: string | null): ModelPrice | null {
  if (model === null) return null;
  const exact = table.models.get(model);
  if (exact !== undefined) return exact;
  let best: [string, ModelPrice] | null = null;
  for (const entry of table.models) {
    if (model.startsWith(entry[0]) && (best === null || entry[0].length > best[0].length)) {
      best = entry;
    }
  }
  return best?.[1] ?? null;
}

/** What a usage costs at `price`: uncached input, cache reads, cache writes and output apart. */
export function costOf(usage: TokenUsage, price: ModelPrice): number {
  const uncached = Math.max(
    0,
    usage.input_tokens - usage.cached_input_tokens - usage.cache_write_tokens,
  );
  const micro =
    uncached * price.input +
    usage.cached_input_tokens * price.cached_input +
    usage.cache_write_tokens * price.cache_write +
    usage.output_tokens * price.output;
  return micro / 1_000_000;
}

function toModels(entries: z.infer<typeof priceTableSchema>): Map<string, ModelPrice> {
  return new Map(
    Object.entries(entries).map(([model, price]) => [
      model,
      {
        input: price.input,
        cached_input: price.cached_input ?? price.input,
        cache_write: price.cache_write ?? price.input,
        output: price.output,
      },
    ]),
  );
}
