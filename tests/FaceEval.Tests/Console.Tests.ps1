# What a user meets in an interactive console, driven through a real terminal (tmux).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Work = New-TestFolder
    $script:Tmux = Get-Command tmux -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    $script:Session = 'faceeval-' + [guid]::NewGuid().ToString('N').Substring(0, 8)

    function Send-Line([string] $Line) { & $Tmux.Source send-keys -t $Session -l $Line; & $Tmux.Source send-keys -t $Session Enter }
    function Wait-Prompt {
        # Keys typed before the console is ready are lost: wait for its prompt.
        $deadline = [datetime]::UtcNow.AddMinutes(2)   # a hang guard, not a timing assertion
        while (-not ((& $Tmux.Source capture-pane -p -t $Session) -match '^PS ') -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
    }
    function Wait-File([string] $Path) {
        $deadline = [datetime]::UtcNow.AddMinutes(2)   # a hang guard, not a timing assertion
        while (-not (Test-Path $Path) -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        Test-Path $Path | Should -BeTrue -Because "the console should have written $Path"
    }
}

AfterAll {
    if ($Tmux) { & $Tmux.Source kill-session -t $Session 2>$null }
    Remove-Item $Work -Recurse -Force -ErrorAction Ignore
}

Describe 'In an interactive console' {
    It 'leaves the reference servers running when Ctrl+C stops another command' {
        if (-not $Tmux) { Set-ItResult -Skipped -Because 'tmux is not installed (Debian: apt-get install tmux; .ci/run installs it)'; return }
        $pwsh = Join-Path $PSHOME 'pwsh'
        & $Tmux.Source new-session -d -s $Session -x 200 -y 50 "$pwsh -NoProfile -NoLogo"
        Wait-Prompt
        $started = Join-Path $Work 'started.txt'
        Send-Line "Import-Module '$env:FACEEVAL_MODULE'; `$s = Start-FaceEvalServer -Model dingo=lbp -NoDetector; `$s.ProcessId | Set-Content '$started'"
        Wait-File $started
        $serverPid = [int](Get-Content $started)
        Send-Line 'Start-Sleep -Seconds 300'
        Start-Sleep -Seconds 1
        & $Tmux.Source send-keys -t $Session C-c
        # The console is back at its prompt: prove it by asking it something.
        $after = Join-Path $Work 'after.txt'
        Send-Line "(Get-FaceEvalServer).HasExited | Set-Content '$after'"
        Wait-File $after
        Get-Content $after | Should -Be 'False' -Because 'Ctrl+C stopped Start-Sleep, not the server'
        Get-Process -Id $serverPid -ErrorAction Ignore | Should -Not -BeNullOrEmpty
        $stopped = Join-Path $Work 'stopped.txt'
        Send-Line "Stop-FaceEvalServer -All; `$s.HasExited | Set-Content '$stopped'"
        Wait-File $stopped
        Get-Content $stopped | Should -Be 'True'
    }

    It 'says after Ctrl+C how many embeddings are saved and how to resume' {
        if (-not $Tmux) { Set-ItResult -Skipped -Because 'tmux is not installed (Debian: apt-get install tmux; .ci/run installs it)'; return }
        $faces = Join-Path $Work 'slow-faces'
        New-Item -ItemType Directory -Force $faces | Out-Null
        foreach ($i in 1..40) { New-GradientImage (Join-Path $faces "f$i.png") 40 48 -Seed $i | Out-Null }
        $ready = Join-Path $Work 'slow-ready.txt'
        Send-Line "`$slow = Start-FaceEvalServer -Model dingo=lbp -NoDetector -FaultLatencyMs 300; 'ok' | Set-Content '$ready'"
        Wait-File $ready
        Send-Line "Invoke-FaceEmbedding -Model dingo -ServerUrl `$slow.Url -Path '$faces/*.png' -OutputDirectory '$(Join-Path $Work 'slow-out')' -ThrottleLimit 2 | Out-Null"
        $deadline = [datetime]::UtcNow.AddMinutes(2)   # a hang guard: wait until some embeddings are saved
        while (@(Get-ChildItem (Join-Path $Work 'slow-out') -Filter *.npy -ErrorAction Ignore).Count -lt 2 -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        & $Tmux.Source send-keys -t $Session C-c
        $done = Join-Path $Work 'slow-done.txt'
        Send-Line "Stop-FaceEvalServer `$slow; 'ok' | Set-Content '$done'"
        Wait-File $done
        $screen = (& $Tmux.Source capture-pane -p -J -t $Session -S -100) -join "`n"
        $screen | Should -Match 'Stopped\. \d+ embedding\(s\) of this run are saved'
        $screen | Should -Match 'run the same command again to resume'
    }
}
