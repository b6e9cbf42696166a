export * from './evaluate-python-config.js';
export * from './load-opencompass-config.js';
export * from './model-classes.js';
export * from './translate-opencompass-config.js';
