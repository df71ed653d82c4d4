export function AgeingPage() {
  return (
    <div className="page">
      <p role="status">Not available yet.</p>
    </div>
  );
}
