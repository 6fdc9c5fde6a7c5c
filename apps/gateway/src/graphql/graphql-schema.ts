import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { JobsResolver } from './jobs.resolver';
import { UploadInstructionsResolver, UploadsResolver } from './uploads.resolver';

/** Every resolver of the GraphQL API (GraphqlApiModule provides the same ones). */
export const GRAPHQL_RESOLVERS: Type[] = [JobsResolver, UploadsResolver, UploadInstructionsResolver];

/** The schema's SDL as /graphql serves it (sorted, like `sortSchema`), built from the resolvers' and types' decorators alone. */
export async function printGraphqlSchema(resolvers: Type[] = GRAPHQL_RESOLVERS): Promise<string> {
  const app = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
  try {
    const schema = await app.get(GraphQLSchemaFactory).create(resolvers);
    return `${printSchema(lexicographicSortSchema(schema))}\n`;
  } finally {
    await app.close();
  }
}
