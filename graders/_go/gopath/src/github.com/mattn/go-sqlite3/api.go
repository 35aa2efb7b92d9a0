package sqlite3

import (
	"strconv"
	"syscall"
)

// The exported names answers use in error handling, as in go-sqlite3
// 1.14.16 (Debian's), so that `err.(sqlite3.Error)` and
// `sqliteErr.Code == sqlite3.ErrConstraint` keep compiling and working: the
// server sends SQLite's own codes and messages.

// ErrNo is a primary SQLite result code.
type ErrNo int

// ErrNoMask keeps the primary code of an extended one.
const ErrNoMask = 0xff

// ErrNoExtended is an extended SQLite result code.
type ErrNoExtended int

// Error is an SQLite error.
type Error struct {
	Code         ErrNo
	ExtendedCode ErrNoExtended
	SystemErrno  syscall.Errno
	err          string
}

func (err ErrNo) Error() string { return Error{Code: err}.Error() }

func (err ErrNo) Extend(by int) ErrNoExtended { return ErrNoExtended(int(err) | (by << 8)) }

func (err ErrNoExtended) Error() string {
	return Error{Code: ErrNo(int(err) & ErrNoMask), ExtendedCode: err}.Error()
}

func (err Error) Error() string {
	str := err.err
	if str == "" {
		str = "sqlite error " + strconv.Itoa(int(err.Code))
	}
	if err.SystemErrno != 0 {
		str += ": " + err.SystemErrno.Error()
	}
	return str
}

var (
	ErrError                  = ErrNo(1)
	ErrInternal               = ErrNo(2)
	ErrPerm                   = ErrNo(3)
	ErrAbort                  = ErrNo(4)
	ErrBusy                   = ErrNo(5)
	ErrLocked                 = ErrNo(6)
	ErrNomem                  = ErrNo(7)
	ErrReadonly               = ErrNo(8)
	ErrInterrupt              = ErrNo(9)
	ErrIoErr                  = ErrNo(10)
	ErrCorrupt                = ErrNo(11)
	ErrNotFound               = ErrNo(12)
	ErrFull                   = ErrNo(13)
	ErrCantOpen               = ErrNo(14)
	ErrProtocol               = ErrNo(15)
	ErrEmpty                  = ErrNo(16)
	ErrSchema                 = ErrNo(17)
	ErrTooBig                 = ErrNo(18)
	ErrConstraint             = ErrNo(19)
	ErrMismatch               = ErrNo(20)
	ErrMisuse                 = ErrNo(21)
	ErrNoLFS                  = ErrNo(22)
	ErrAuth                   = ErrNo(23)
	ErrFormat                 = ErrNo(24)
	ErrRange                  = ErrNo(25)
	ErrNotADB                 = ErrNo(26)
	ErrNotice                 = ErrNo(27)
	ErrWarning                = ErrNo(28)
	ErrIoErrRead              = ErrIoErr.Extend(1)
	ErrIoErrShortRead         = ErrIoErr.Extend(2)
	ErrIoErrWrite             = ErrIoErr.Extend(3)
	ErrIoErrFsync             = ErrIoErr.Extend(4)
	ErrIoErrDirFsync          = ErrIoErr.Extend(5)
	ErrIoErrTruncate          = ErrIoErr.Extend(6)
	ErrIoErrFstat             = ErrIoErr.Extend(7)
	ErrIoErrUnlock            = ErrIoErr.Extend(8)
	ErrIoErrRDlock            = ErrIoErr.Extend(9)
	ErrIoErrDelete            = ErrIoErr.Extend(10)
	ErrIoErrBlocked           = ErrIoErr.Extend(11)
	ErrIoErrNoMem             = ErrIoErr.Extend(12)
	ErrIoErrAccess            = ErrIoErr.Extend(13)
	ErrIoErrCheckReservedLock = ErrIoErr.Extend(14)
	ErrIoErrLock              = ErrIoErr.Extend(15)
	ErrIoErrClose             = ErrIoErr.Extend(16)
	ErrIoErrDirClose          = ErrIoErr.Extend(17)
	ErrIoErrSHMOpen           = ErrIoErr.Extend(18)
	ErrIoErrSHMSize           = ErrIoErr.Extend(19)
	ErrIoErrSHMLock           = ErrIoErr.Extend(20)
	ErrIoErrSHMMap            = ErrIoErr.Extend(21)
	ErrIoErrSeek              = ErrIoErr.Extend(22)
	ErrIoErrDeleteNoent       = ErrIoErr.Extend(23)
	ErrIoErrMMap              = ErrIoErr.Extend(24)
	ErrIoErrGetTempPath       = ErrIoErr.Extend(25)
	ErrIoErrConvPath          = ErrIoErr.Extend(26)
	ErrLockedSharedCache      = ErrLocked.Extend(1)
	ErrBusyRecovery           = ErrBusy.Extend(1)
	ErrBusySnapshot           = ErrBusy.Extend(2)
	ErrCantOpenNoTempDir      = ErrCantOpen.Extend(1)
	ErrCantOpenIsDir          = ErrCantOpen.Extend(2)
	ErrCantOpenFullPath       = ErrCantOpen.Extend(3)
	ErrCantOpenConvPath       = ErrCantOpen.Extend(4)
	ErrCorruptVTab            = ErrCorrupt.Extend(1)
	ErrReadonlyRecovery       = ErrReadonly.Extend(1)
	ErrReadonlyCantLock       = ErrReadonly.Extend(2)
	ErrReadonlyRollback       = ErrReadonly.Extend(3)
	ErrReadonlyDbMoved        = ErrReadonly.Extend(4)
	ErrAbortRollback          = ErrAbort.Extend(2)
	ErrConstraintCheck        = ErrConstraint.Extend(1)
	ErrConstraintCommitHook   = ErrConstraint.Extend(2)
	ErrConstraintForeignKey   = ErrConstraint.Extend(3)
	ErrConstraintFunction     = ErrConstraint.Extend(4)
	ErrConstraintNotNull      = ErrConstraint.Extend(5)
	ErrConstraintPrimaryKey   = ErrConstraint.Extend(6)
	ErrConstraintTrigger      = ErrConstraint.Extend(7)
	ErrConstraintUnique       = ErrConstraint.Extend(8)
	ErrConstraintVTab         = ErrConstraint.Extend(9)
	ErrConstraintRowID        = ErrConstraint.Extend(10)
	ErrNoticeRecoverWAL       = ErrNotice.Extend(1)
	ErrNoticeRecoverRollback  = ErrNotice.Extend(2)
	ErrWarningAutoIndex       = ErrWarning.Extend(1)
)

// SQLiteTimestampFormats are go-sqlite3's; the first formats bound times.
var SQLiteTimestampFormats = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
}

// Types of go-sqlite3's API the grader's database does not offer; declared
// so that answers naming them still compile.
type (
	SQLiteBackup        struct{}
	SQLiteContext       struct{}
	SQLitePreUpdateData struct{}
)

// Version reports the SQLite behind the grader's server.
func Version() (libVersion string, libVersionNumber int, sourceID string) {
	return "3.40.1", 3040001, ""
}
