// The real driver's exported names, re-exported so that answers which name
// sqlite3.Error, sqlite3.ErrConstraint... still compile against the shim.
// Listed once from `go doc -all` of Debian's go-sqlite3 1.14.16.

package sqlite3

import real "github.com/mattn/go-sqlite3/internal/real"

// Types answers name in error handling and hooks; aliases keep them identical.
type (
	Error               = real.Error
	ErrNo               = real.ErrNo
	ErrNoExtended       = real.ErrNoExtended
	SQLiteDriver        = real.SQLiteDriver
	SQLiteConn          = real.SQLiteConn
	SQLiteStmt          = real.SQLiteStmt
	SQLiteRows          = real.SQLiteRows
	SQLiteTx            = real.SQLiteTx
	SQLiteResult        = real.SQLiteResult
	SQLiteBackup        = real.SQLiteBackup
	SQLiteContext       = real.SQLiteContext
	SQLitePreUpdateData = real.SQLitePreUpdateData
)

var (
	ErrError                  = real.ErrError
	ErrInternal               = real.ErrInternal
	ErrPerm                   = real.ErrPerm
	ErrAbort                  = real.ErrAbort
	ErrBusy                   = real.ErrBusy
	ErrLocked                 = real.ErrLocked
	ErrNomem                  = real.ErrNomem
	ErrReadonly               = real.ErrReadonly
	ErrInterrupt              = real.ErrInterrupt
	ErrIoErr                  = real.ErrIoErr
	ErrCorrupt                = real.ErrCorrupt
	ErrNotFound               = real.ErrNotFound
	ErrFull                   = real.ErrFull
	ErrCantOpen               = real.ErrCantOpen
	ErrProtocol               = real.ErrProtocol
	ErrEmpty                  = real.ErrEmpty
	ErrSchema                 = real.ErrSchema
	ErrTooBig                 = real.ErrTooBig
	ErrConstraint             = real.ErrConstraint
	ErrMismatch               = real.ErrMismatch
	ErrMisuse                 = real.ErrMisuse
	ErrNoLFS                  = real.ErrNoLFS
	ErrAuth                   = real.ErrAuth
	ErrFormat                 = real.ErrFormat
	ErrRange                  = real.ErrRange
	ErrNotADB                 = real.ErrNotADB
	ErrNotice                 = real.ErrNotice
	ErrWarning                = real.ErrWarning
	ErrIoErrRead              = real.ErrIoErrRead
	ErrIoErrShortRead         = real.ErrIoErrShortRead
	ErrIoErrWrite             = real.ErrIoErrWrite
	ErrIoErrFsync             = real.ErrIoErrFsync
	ErrIoErrDirFsync          = real.ErrIoErrDirFsync
	ErrIoErrTruncate          = real.ErrIoErrTruncate
	ErrIoErrFstat             = real.ErrIoErrFstat
	ErrIoErrUnlock            = real.ErrIoErrUnlock
	ErrIoErrRDlock            = real.ErrIoErrRDlock
	ErrIoErrDelete            = real.ErrIoErrDelete
	ErrIoErrBlocked           = real.ErrIoErrBlocked
	ErrIoErrNoMem             = real.ErrIoErrNoMem
	ErrIoErrAccess            = real.ErrIoErrAccess
	ErrIoErrCheckReservedLock = real.ErrIoErrCheckReservedLock
	ErrIoErrLock              = real.ErrIoErrLock
	ErrIoErrClose             = real.ErrIoErrClose
	ErrIoErrDirClose          = real.ErrIoErrDirClose
	ErrIoErrSHMOpen           = real.ErrIoErrSHMOpen
	ErrIoErrSHMSize           = real.ErrIoErrSHMSize
	ErrIoErrSHMLock           = real.ErrIoErrSHMLock
	ErrIoErrSHMMap            = real.ErrIoErrSHMMap
	ErrIoErrSeek              = real.ErrIoErrSeek
	ErrIoErrDeleteNoent       = real.ErrIoErrDeleteNoent
	ErrIoErrMMap              = real.ErrIoErrMMap
	ErrIoErrGetTempPath       = real.ErrIoErrGetTempPath
	ErrIoErrConvPath          = real.ErrIoErrConvPath
	ErrLockedSharedCache      = real.ErrLockedSharedCache
	ErrBusyRecovery           = real.ErrBusyRecovery
	ErrBusySnapshot           = real.ErrBusySnapshot
	ErrCantOpenNoTempDir      = real.ErrCantOpenNoTempDir
	ErrCantOpenIsDir          = real.ErrCantOpenIsDir
	ErrCantOpenFullPath       = real.ErrCantOpenFullPath
	ErrCantOpenConvPath       = real.ErrCantOpenConvPath
	ErrCorruptVTab            = real.ErrCorruptVTab
	ErrReadonlyRecovery       = real.ErrReadonlyRecovery
	ErrReadonlyCantLock       = real.ErrReadonlyCantLock
	ErrReadonlyRollback       = real.ErrReadonlyRollback
	ErrReadonlyDbMoved        = real.ErrReadonlyDbMoved
	ErrAbortRollback          = real.ErrAbortRollback
	ErrConstraintCheck        = real.ErrConstraintCheck
	ErrConstraintCommitHook   = real.ErrConstraintCommitHook
	ErrConstraintForeignKey   = real.ErrConstraintForeignKey
	ErrConstraintFunction     = real.ErrConstraintFunction
	ErrConstraintNotNull      = real.ErrConstraintNotNull
	ErrConstraintPrimaryKey   = real.ErrConstraintPrimaryKey
	ErrConstraintTrigger      = real.ErrConstraintTrigger
	ErrConstraintUnique       = real.ErrConstraintUnique
	ErrConstraintVTab         = real.ErrConstraintVTab
	ErrConstraintRowID        = real.ErrConstraintRowID
	ErrNoticeRecoverWAL       = real.ErrNoticeRecoverWAL
	ErrNoticeRecoverRollback  = real.ErrNoticeRecoverRollback
	ErrWarningAutoIndex       = real.ErrWarningAutoIndex
	SQLiteTimestampFormats    = real.SQLiteTimestampFormats
)

// Version reports the linked SQLite library.
func Version() (libVersion string, libVersionNumber int, sourceID string) { return real.Version() }
