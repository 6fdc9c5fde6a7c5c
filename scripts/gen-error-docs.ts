// Writes docs/errors.md from the job error code list (libs/errors); a unit test fails when they differ.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderJobErrorDocs } from '@tf/errors';

writeFileSync(join(__dirname, '../docs/errors.md'), renderJobErrorDocs());
