import styles from "./dashboard.module.css";

/** What the colours and dots on the map mean, in pictures; the versions' colours while two run. */
export function Legend({ versions = false }: { versions?: boolean }) {
  return (
    <div className={styles.legend} role="group" aria-label="Legend">
      <span>
        <i className={styles.legendDot} data-status="up" /> up
      </span>
      <span>
        <i className={styles.legendDot} data-status="degraded" /> degraded
      </span>
      <span>
        <i className={styles.legendDot} data-status="down" /> down
      </span>
      <span>
        <i className={styles.legendDot} data-status="starting" /> starting
      </span>
      <span className={styles.legendSep} />
      <span>
        <i className={styles.legendParticle} /> request
      </span>
      <span>
        <i className={styles.legendParticle} data-error /> failed
      </span>
      {versions && (
        <>
          <span className={styles.legendSep} />
          <span>
            <i className={styles.legendParticle} data-version="current" /> older version
          </span>
          <span>
            <i className={styles.legendParticle} data-version="next" /> newer version
          </span>
        </>
      )}
    </div>
  );
}
