// Refuses to run on a Node older than 22: the SQLite driver (N-API 10) crashes there.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(
    `\n贷后管家需要 Node.js 22 或更高版本，当前为 ${process.version}。请从 https://nodejs.org 安装 Node.js 22 LTS 后重试。\n` +
      `LoanKeeper needs Node.js 22 or newer (found ${process.version}). Install Node.js 22 LTS and try again.\n`,
  );
  process.exit(1);
}
