/** The pure domain kernel, shared by the main process and the renderer. No Node or DOM imports below. */
export * from './amountInWords';
export * from './calendarCN';
export * from './classification';
export * from './dates';
export * from './decimal';
export * from './ids';
export * from './limitation';
export * from './money';
export * from './overdue';
export * from './schedule';
export * from './workingDays';
export * from './loanState';
export * from './inspectionPlan';
export * from './drawdown';
export * from './delinquency';
export * from './acceleration';
export * from './legal';
