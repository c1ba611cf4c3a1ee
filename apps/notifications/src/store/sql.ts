import type { EntityManager } from 'typeorm';

/**
 * Runs an UPDATE or DELETE … RETURNING and answers its rows: TypeORM answers those statements
 * with `[rows, rowCount]`, not with the rows as it does for SELECT.
 */
export async function modifyReturning<T>(
  manager: EntityManager,
  sql: string,
  params: unknown[],
): Promise<T[]> {
  const [rows] = await manager.query<[T[], number]>(sql, params);
  return rows;
}
