export { CheckboxGroup } from './CheckboxGroup';
export { EmptyState } from './EmptyState';
export { ErrorState } from './ErrorState';
export { Layout } from './Layout';
export { LoadingState } from './LoadingState';
