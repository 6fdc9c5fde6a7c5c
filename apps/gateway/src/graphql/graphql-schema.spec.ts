import { GraphQLObjectType, buildSchema } from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printGraphqlSchema } from './graphql-schema';

// The GraphQL API's contract: its operations, types, fields and arguments with their names and
// nullability. The types come from the DTO classes the REST API uses too, so a DTO change that
// alters GraphQL shows up here; schema.graphql is updated only on purpose (a reviewed change).
describe('GraphQL schema', () => {
  it('is the committed schema.graphql', async () => {
    const committed = readFileSync(join(__dirname, 'schema.graphql'), 'utf8');
    expect(await printGraphqlSchema()).toBe(committed);
  });

  it('keeps its operations', async () => {
    const schema = buildSchema(await printGraphqlSchema());
    const fieldsOf = (type: GraphQLObjectType | null | undefined) => Object.keys(type?.getFields() ?? {});
    expect(fieldsOf(schema.getQueryType())).toEqual(['job', 'jobs']);
    expect(fieldsOf(schema.getMutationType())).toEqual(['cancelJob', 'createUpload', 'retryJob', 'submitJob']);
    expect(fieldsOf(schema.getSubscriptionType())).toEqual(['jobProgress']);
  });
});
