// gateway/pipeline-ops: the consumer groups' status from Kafka (for the operator's routes) and the lag collector.
// What other gateway folders may import (eslint/boundaries.mjs): these files, the folder's *.module.ts.
export * from './pipeline-status.service';
