// gateway/console: the web console's listener and files. What other gateway folders may import (eslint/boundaries.mjs).
export * from './console.config';
