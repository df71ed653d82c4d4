export function InvoiceDetailPage({ id }: { id: string }) {
  return (
    <div className="page">
      <p role="status">Invoice {id}: not available yet.</p>
    </div>
  );
}
