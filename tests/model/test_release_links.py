"""Enterprise exits: households of a closed firm lose the job or the contract and seek again."""

import numpy as np
import pytest

from model import matching
from model.households import EMPLOYER_CLOSED, MON_EMPLOYMENT, SEEK_CONTRACT, SEEK_JOB, SEEK_POST, HouseholdSet


def _households():
    hh = HouseholdSet(6)
    hh.county[:] = [0, 0, 0, 1, 1, 1]
    #            able  weak  able  post  farm  none
    hh.labour_units[:] = [1.0, 1.0, 2.0, 1.0, 1.0, 1.0]
    hh.labour_lost[:] = [0.0, 0.6, 0.0, 0.0, 0.0, 0.0]
    hh.formerly_poor[:] = [False, True, True, False, False, False]
    hh.emp_type[:] = [1, 1, 1, 3, 0, 1]
    hh.employer[:] = [0, 0, 1, -1, -1, 2]
    hh.contract[:] = [-1, 1, 0, 0, 0, -1]
    hh.op_base_year[:] = [0, 100, 0, 200, 300, 0]
    hh.seek_flags[:] = [MON_EMPLOYMENT, 0, 0, 0, 0, 0]
    return hh


@pytest.mark.parametrize("parallel", [False, True])
def test_closed_firm_releases_jobs_and_contracts(parallel):
    hh = _households()
    gone = np.array([True, False, False, False])  # firm 0 closed; the last entry is for "no link"
    matching.release_links(hh.as_tuple(), np.array([0, 3, 6]), gone, parallel=parallel)
    J, P, C, M, X = SEEK_JOB, SEEK_POST, SEEK_CONTRACT, MON_EMPLOYMENT, EMPLOYER_CLOSED
    assert hh.emp_type.tolist() == [0, 0, 1, 3, 0, 1]
    assert hh.employer.tolist() == [-1, -1, 1, -1, -1, 2]
    assert hh.contract.tolist() == [-1, 1, -1, -1, -1, -1]
    # 0: able, in employment assistance -> job and post; 1: too weak to seek; 2: lost only a
    # contract, no farm base; 3, 4: lost a contract with a farm base. The two who lost their job to
    # the closure carry its mark for the next month's kernel (a shared-data event)
    assert hh.seek_flags.tolist() == [X | M | J | P, X, 0, C, C, 0]


def test_household_willing_to_work_away_does_not_seek_a_local_job():
    hh = _households()
    hh.migrant_willing[0] = True
    matching.release_links(hh.as_tuple(), np.array([0, 3, 6]), np.array([True, False, False, False]))
    assert hh.seek_flags[0] == EMPLOYER_CLOSED | MON_EMPLOYMENT | SEEK_POST


def test_registered_household_seeks_a_post_too():
    hh = _households()
    hh.labour_lost[1] = 0.0
    matching.release_links(hh.as_tuple(), np.array([0, 6]), np.array([True, False, False, False]))
    assert hh.seek_flags[1] == EMPLOYER_CLOSED | SEEK_JOB | SEEK_POST
