import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

export const DEFAULT_PAGE_SIZE = 20;
/** Larger pages are refused rather than silently shortened, so a client never mistakes a page for the whole. */
export const MAX_PAGE_SIZE = 100;

/**
 * Query strings carry text: only plain decimal digits become a number. Anything else ("0x10", "1e3",
 * " 5", "") stays text and fails the integer check, where Number() would have read it as a number.
 */
function decimalInteger({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;
}

/**
 * `?page=&pageSize=` of every paged list; pages count from 1. A query class holds only what a client
 * may send: no getters or methods, which the query's values would be assigned to (see pageOffset).
 */
export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, default: 1 })
  @Transform(decimalInteger)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page: number = 1;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @Transform(decimalInteger)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  pageSize: number = DEFAULT_PAGE_SIZE;
}

/** Rows before the requested page. */
export function pageOffset({ page, pageSize }: PageQueryDto): number {
  return (page - 1) * pageSize;
}

/** Escapes LIKE's wildcards so that a search for "a_b" or "50%" matches those characters literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}
