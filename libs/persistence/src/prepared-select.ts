import type { Pool } from 'pg';
import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * One entity read by fixed columns as a named pg statement: Postgres parses and plans it once per
 * connection, and the SQL and column list are built once per process instead of by TypeORM's query
 * builder on every call (the API profile in bench/README.md: the job read through `findOne` became the
 * status read's largest cost once presigning and the key lookup were gone). Rows are hydrated column
 * by column through the driver, as TypeORM does for a plain entity (no relations, no embedded columns).
 */
export class PreparedSelect<T extends ObjectLiteral> {
  private readonly text: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly entity: EntityTarget<T>,
    /** Statement name, unique in the process (pg keeps one per name and connection). */
    private readonly name: string,
    where: Array<keyof T & string>,
  ) {
    const meta = dataSource.getMetadata(entity);
    if (meta.relations.length > 0 || meta.embeddeds.length > 0)
      throw new Error(`${meta.name}: PreparedSelect reads plain entities only`);
    const q = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
    const table = meta.schema ? `${q(meta.schema)}.${q(meta.tableName)}` : q(meta.tableName);
    const columns = meta.columns.map((c) => q(c.databaseName)).join(', ');
    const conditions = where.map((property, i) => {
      const column = meta.findColumnWithPropertyName(property);
      if (!column) throw new Error(`${meta.name} has no column ${property}`);
      return `${q(column.databaseName)} = $${i + 1}`;
    });
    this.text = `SELECT ${columns} FROM ${table} WHERE ${conditions.join(' AND ')} LIMIT 1`;
  }

  /** The row whose `where` columns equal `values` (in their order), or null. */
  async one(...values: unknown[]): Promise<T | null> {
    const driver = this.dataSource.driver as PostgresDriver;
    const { rows } = await (driver.master as Pool).query<Record<string, unknown>>({
      name: this.name,
      text: this.text,
      values,
    });
    if (rows.length === 0) return null;
    const meta = this.dataSource.getMetadata(this.entity);
    const entity = meta.create() as T;
    for (const column of meta.columns)
      column.setEntityValue(entity, driver.prepareHydratedValue(rows[0][column.databaseName], column));
    return entity;
  }
}
